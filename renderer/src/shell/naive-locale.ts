import { createLocale, type NLocale } from 'naive-ui';

/**
 * naive-ui's texts in the UI language, minus its generic placeholders ("Please Input", "Please
 * Select"): a field says what it wants through its own placeholder or label, or nothing at all.
 */
export function withoutDefaultPlaceholders(base: NLocale): NLocale {
  return createLocale({ Input: { placeholder: '' }, InputNumber: { placeholder: '' }, Select: { placeholder: '' }, Cascader: { placeholder: '' } }, base);
}
