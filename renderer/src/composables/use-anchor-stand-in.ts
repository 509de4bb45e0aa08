import { onScopeDispose, shallowRef, watch } from 'vue';

/** Where a stand-in goes: the anchor's box in the window (position: fixed), in CSS pixels. */
export function standInStyle(box: { readonly left: number; readonly top: number; readonly width: number; readonly height: number }): Record<'left' | 'top' | 'width' | 'height', string> {
  return { left: `${box.left}px`, top: `${box.top}px`, width: `${box.width}px`, height: `${box.height}px` };
}

/**
 * One popover shared by many elements (a table's rows) is triggered by a stand-in: an invisible
 * fixed box laid over whichever element is the anchor, so the popover places itself exactly as it
 * would with that element as its own trigger (centred on it, flipped or aligned to its edge near
 * the window's edge). The stand-in follows the anchor while anything scrolls or the window resizes,
 * then `moved` tells the popover to follow. When the anchor leaves the document (its row scrolled
 * out of a virtual list, its pod went away), `lost` is called — as a per-row popover would have gone
 * with its row. The stand-in keeps its last place once the anchor is cleared, so a closing popover
 * fades out where it was.
 */
export function useAnchorStandIn(lost: () => void, moved: () => void) {
  const anchor = shallowRef<HTMLElement | null>(null);
  /** The stand-in element (a template ref). */
  const standIn = shallowRef<HTMLElement | null>(null);

  /** Lays the stand-in over the anchor; calls `lost` if the anchor is no longer in the document. */
  function sync(): void {
    const element = anchor.value;
    if (element === null) return;
    if (!element.isConnected) {
      lost();
      return;
    }
    if (standIn.value !== null) Object.assign(standIn.value.style, standInStyle(element.getBoundingClientRect()));
    moved();
  }

  // listened to only while there is an anchor: a table at rest pays nothing
  const options = { capture: true, passive: true } as const;
  function follow(on: boolean): void {
    if (on) {
      window.addEventListener('scroll', sync, options);
      window.addEventListener('resize', sync, options);
    } else {
      window.removeEventListener('scroll', sync, options);
      window.removeEventListener('resize', sync, options);
    }
  }
  watch(anchor, (element, before) => {
    if ((element === null) !== (before === null)) follow(element !== null);
  });
  onScopeDispose(() => follow(false));

  /** Makes `element` the anchor and lays the stand-in over it at once (before the popover shows). */
  function point(element: HTMLElement | null): void {
    anchor.value = element;
    sync();
  }

  return { anchor, standIn, point, sync };
}
