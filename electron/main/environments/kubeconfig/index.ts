export * from './model.ts';
export { parseKubeconfig } from './parse.ts';
export { mergeKubeconfigs } from './merge.ts';
export { loadKubeconfigFile, loadKubeconfigList, resolveRelativePaths } from './load.ts';
export { listContexts, resolveContext, contextWarnings, redactUrl, type ContextSummary, type ResolvedContext } from './contexts.ts';
export { splitContext, rebuildKubeconfig, contextMetadataSchema, contextSecretsSchema, type ContextMetadata, type ContextSecrets, type RebuildOptions } from './split.ts';
export { toKubeconfigYaml } from './serialize.ts';
export { writePrivateKubeconfig, type PrivateKubeconfig } from './private-file.ts';
export { runExecCredentialPlugin, execCredentialStatusSchema, type ExecCredentialStatus, type ExecPluginOptions } from './exec-plugin.ts';
