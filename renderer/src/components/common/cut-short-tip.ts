/** Whether a cell's text is cut short (by the ellipsis), measured as NEllipsis does: the text's width against the cell's. */
export function cutShort(cell: HTMLElement): boolean {
  const text = document.createRange();
  text.selectNodeContents(cell);
  return text.getBoundingClientRect().width > cell.getBoundingClientRect().width;
}

/**
 * The handlers of a table cell whose text CSS may cut short: when the pointer enters, the table's
 * one tooltip (AnchoredTip) shows the whole text, only if it was cut. Measured then, not per row
 * drawn: a fast scroll mounts every row in view on each frame. One pair serves every cell (the
 * cell is the event's target).
 */
export function cutShortTip(showTip: (element: HTMLElement, text: string) => void, hideTip: () => void) {
  return {
    onMouseenter: (event: MouseEvent) => {
      const cell = event.currentTarget as HTMLElement;
      if (cutShort(cell)) showTip(cell, cell.textContent ?? '');
    },
    onMouseleave: () => hideTip(),
  };
}
