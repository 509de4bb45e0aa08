/** English messages of the change preview shown before a change is applied; part of `en.ts`. */
export const enChanges = {
  changePreview: {
    title: 'What will change',
    loading: 'Asking the server for a dry run…',
    failed: 'The preview could not be made',
    refused: 'This change would be refused:',
    nothing: 'Nothing would change.',
    dryRun: 'Server-side dry run: validated and admitted by the API server, nothing stored.',
    recreate: 'Recreate plan: the container is replaced by a new one from the same settings.',
    field: 'Field',
    before: 'Before',
    after: 'After',
    hidden: 'hidden',
    added: 'added',
    removed: 'removed',
    changed: 'changed',
    unchanged: 'unchanged',
    imageId: 'Image id',
    pulled: 'pulled when applied',
    carriedOver: 'Carried over',
  },
};
