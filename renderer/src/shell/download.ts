/**
 * Saves text as a file through the browser's own download (a Blob URL and an `<a download>`),
 * which works the same in the Electron window and in browser mode.
 */
export function downloadText(fileName: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  // revoke after the click has been handled, or some engines cancel the download
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
