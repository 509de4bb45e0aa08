import { computed, defineComponent, h, onBeforeUnmount, onMounted, ref, shallowRef, watch, type PropType, type VNodeChild } from 'vue';
import { rowTop, tableWindow, type OpenPanel, type TableWindow } from './virtual-window.ts';
import './virtual-table.css';

/**
 * A column of a VirtualTable: its title, a fixed width (px) or a share of what is left (at least
 * `minWidth`: below that the table scrolls sideways), and its cell.
 */
export interface TableColumn<Row> {
  readonly key: string;
  readonly title: string;
  readonly width?: number;
  readonly minWidth?: number;
  render(row: Row): VNodeChild;
}

/** Rows drawn beyond each edge of the view, so a scroll of a few rows shows rows already there. */
const overscanRows = 6;

/**
 * A table of rows of one fixed height that mounts only the rows in view: a real `<table>` (header
 * cells, rows and cells as the browser and assistive tools know them) whose rows before and after
 * the view are two spacer rows. It draws its first rows in the frame it is mounted in: until the
 * view is measured it takes the window's height as the view's, never more than a window of rows,
 * where naive-ui's virtual list draws no row before a ResizeObserver has reported its height.
 * A row whose key is in `openKeys` has its `renderPanel` below it, a full-width row of any height:
 * only such panels are measured, rows never (positions are counted, virtual-window.ts). Drawn with
 * naive-ui's DataTable theme values (tableLook, set as CSS custom properties by the page).
 * `loading` dims the rows under a spinner; `empty` is the slot shown when there are no rows.
 * Classes on it: `virtual-table--fill` (takes what its flex column leaves it, as NDataTable's
 * flex-height), `virtual-table--compact` (rows shorter than the cell padding); `virtual-table-text`
 * on a cell's span cuts its text short with an ellipsis, `virtual-table-muted` greys it (NText depth 3).
 */
export const VirtualTable = defineComponent({
  name: 'VirtualTable',
  inheritAttrs: false,
  props: {
    rows: { type: Array as PropType<readonly unknown[]>, required: true },
    columns: { type: Array as PropType<readonly TableColumn<never>[]>, required: true },
    rowKey: { type: Function as PropType<(row: never) => string>, required: true },
    rowHeight: { type: Number, required: true },
    /** Attributes of a row's `<tr>` (test ids, data-…, a class). */
    rowProps: { type: Function as PropType<(row: never) => Record<string, unknown>>, default: undefined },
    openKeys: { type: Object as PropType<ReadonlySet<string>>, default: undefined },
    renderPanel: { type: Function as PropType<(row: never) => VNodeChild>, default: undefined },
    loading: { type: Boolean, default: false },
    loadingLabel: { type: String, required: true },
  },
  setup(props, { slots, attrs }) {
    const viewport = shallowRef<HTMLElement | null>(null);
    let scrollTop = 0;
    // how tall the view is; until measured, the window's height
    const viewHeight = ref(window.innerHeight);
    const panelHeights = shallowRef(new Map<string, number>());
    const panels = computed<OpenPanel[]>(() => {
      const open = props.openKeys;
      const list: OpenPanel[] = [];
      if (open === undefined || open.size === 0 || props.renderPanel === undefined) return list;
      (props.rows as readonly never[]).forEach((row, index) => {
        const key = props.rowKey(row);
        if (open.has(key)) list.push({ index, height: panelHeights.value.get(key) ?? 0 });
      });
      return list;
    });
    // the rows in view change only when a scroll crosses a row: only then is the table drawn again
    const windowNow = () => tableWindow(props.rows.length, props.rowHeight, panels.value, scrollTop, viewHeight.value, overscanRows);
    const shown = shallowRef<TableWindow>(windowNow());
    const update = () => {
      const next = windowNow();
      const now = shown.value;
      if (next.first !== now.first || next.last !== now.last || next.top !== now.top || next.height !== now.height) shown.value = next;
    };
    watch([() => props.rows, () => props.rows.length, () => props.rowHeight, panels, viewHeight], update);
    const onScroll = () => {
      scrollTop = viewport.value?.scrollTop ?? 0;
      update();
    };
    const panelOf = new WeakMap<Element, string>();
    const observedPanels = new Map<string, Element>();
    let resizes: ResizeObserver | null = null;
    let panelResizes: ResizeObserver | null = null;
    onMounted(() => {
      const element = viewport.value;
      if (element === null) return;
      resizes = new ResizeObserver(() => {
        if (element.clientHeight !== viewHeight.value) viewHeight.value = element.clientHeight;
      });
      resizes.observe(element);
      panelResizes = new ResizeObserver((entries) => {
        let heights: Map<string, number> | null = null;
        for (const entry of entries) {
          const key = panelOf.get(entry.target);
          // a panel that left the DOM (its row scrolled away) keeps the height it had
          if (key === undefined || !entry.target.isConnected) continue;
          const height = (entry.target as HTMLElement).offsetHeight;
          if (panelHeights.value.get(key) === height) continue;
          heights ??= new Map(panelHeights.value);
          heights.set(key, height);
        }
        if (heights !== null) panelHeights.value = heights;
      });
    });
    onBeforeUnmount(() => {
      resizes?.disconnect();
      panelResizes?.disconnect();
    });
    /** A panel's `<tr>` in the DOM: its height is watched, once per element. */
    const panelRef = (key: string) => (element: unknown) => {
      if (!(element instanceof HTMLElement) || observedPanels.get(key) === element) return;
      const before = observedPanels.get(key);
      if (before !== undefined) panelResizes?.unobserve(before);
      observedPanels.set(key, element);
      panelOf.set(element, key);
      panelResizes?.observe(element);
    };

    return () => {
      const rows = props.rows as readonly never[];
      const columns = props.columns;
      const { first, last, top, height } = shown.value;
      const spacer = (pixels: number, key: string) =>
        pixels > 0 ? h('tr', { key, class: 'virtual-table-spacer', 'aria-hidden': 'true', style: { height: `${pixels}px` } }, h('td', { colspan: columns.length })) : null;
      const body: VNodeChild[] = [spacer(top, 'before')];
      for (let index = first; index <= last; index++) {
        const row = rows[index] as never;
        const key = props.rowKey(row);
        const extra = props.rowProps?.(row) ?? {};
        body.push(h('tr', { ...extra, key, class: ['virtual-table-row', extra.class] }, columns.map((column) => h('td', { key: column.key, 'data-col-key': column.key }, [column.render(row)]))));
        if (props.renderPanel !== undefined && props.openKeys?.has(key)) {
          body.push(h('tr', { key: `panel:${key}`, ref: panelRef(key), class: 'virtual-table-panel' }, h('td', { colspan: columns.length }, [props.renderPanel(row)])));
        }
      }
      body.push(spacer(height - (last < first ? 0 : rowTop(last + 1, props.rowHeight, panels.value)), 'after'));
      if (rows.length === 0 && !props.loading) body.push(h('tr', { key: 'empty', class: 'virtual-table-empty' }, h('td', { colspan: columns.length }, slots.empty?.())));
      const minWidth = columns.reduce((sum, column) => sum + (column.width ?? column.minWidth ?? 0), 0);
      return h('div', { ...attrs, class: [attrs.class, 'virtual-table', { 'virtual-table--loading': props.loading }], 'aria-busy': props.loading ? 'true' : 'false' }, [
        h('div', { ref: viewport, class: 'virtual-table-view', 'data-testid': 'virtual-table-view', onScroll }, [
          h('table', { style: { '--virtual-table-row-height': `${props.rowHeight}px`, minWidth: minWidth > 0 ? `${minWidth}px` : undefined } }, [
            h('colgroup', columns.map((column) => h('col', { key: column.key, style: column.width === undefined ? undefined : { width: `${column.width}px` } }))),
            h('thead', h('tr', columns.map((column) => h('th', { key: column.key, scope: 'col' }, column.title)))),
            h('tbody', body),
          ]),
        ]),
        props.loading ? h('div', { class: 'virtual-table-loading', role: 'status', 'aria-label': props.loadingLabel }, h('span', { class: 'virtual-table-spinner' })) : null,
      ]);
    };
  },
});
