import type { MessageText } from '../../../../shared/errors.ts';
import { mainErrorText } from '../../i18n/main-error-text.ts';
import { windowTranslator } from '../../shell/failure.ts';

/** Why a context, socket or kubeconfig file cannot be used, in the window's language (main's English otherwise). */
export function problemText(view: { readonly problem?: string | undefined; readonly problemText?: MessageText | undefined }): string {
  return view.problem === undefined ? '' : mainErrorText({ message: view.problem, text: view.problemText }, windowTranslator());
}
