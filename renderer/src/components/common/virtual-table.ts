import { defineComponent, h, onBeforeUnmount, onMounted, ref, shallowRef, type PropType, type VNodeChild } from 'vue';
import './virtual-table.css';

/** A column of a VirtualTable: its title, a fixed width (px) or a share of what is left, and its cell. */
export interface TableColumn<Row> {
  readonly key: string;
  readonly title: string;
  readonly width?: number;
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
 * Drawn with naive-ui's DataTable theme values (tableLook, set as CSS custom properties by the
 * page). `loading` dims the rows under a spinner; `empty` is the slot shown when there are no rows.
 */
export const VirtualTable = defineComponent({
  name: 'VirtualTable',
  inheritAttrs: false,
  props: {
    rows: { type: Array as PropType<readonly unknown[]>, required: true },
    columns: { type: Array as PropType<readonly TableColumn<never>[]>, required: true },
    rowKey: { type: Function as PropType<(row: never) => string>, required: true },
    rowHeight: { type: Number, required: true },
    loading: { type: Boolean, default: false },
    loadingLabel: { type: String, required: true },
  },
  setup(props, { slots, attrs }) {
    const viewport = shallowRef<HTMLElement | null>(null);
    // the first row in view, and how many rows the view holds
    const first = ref(0);
    const inView = ref(Math.ceil(window.innerHeight / props.rowHeight));
    const onScroll = () => {
      const top = viewport.value?.scrollTop ?? 0;
      const row = Math.floor(top / props.rowHeight);
      if (row !== first.value) first.value = row;
    };
    let resizes: ResizeObserver | null = null;
    onMounted(() => {
      const element = viewport.value;
      if (element === null) return;
      resizes = new ResizeObserver(() => {
        const rows = Math.max(1, Math.ceil(element.clientHeight / props.rowHeight));
        if (rows !== inView.value) inView.value = rows;
      });
      resizes.observe(element);
    });
    onBeforeUnmount(() => resizes?.disconnect());

    return () => {
      const rows = props.rows as readonly never[];
      const columns = props.columns;
      const start = Math.min(Math.max(0, first.value - overscanRows), Math.max(0, rows.length - inView.value - overscanRows));
      const end = Math.min(rows.length, first.value + inView.value + overscanRows);
      const spacer = (rowsHidden: number, key: string) =>
        rowsHidden > 0 ? h('tr', { key, class: 'virtual-table-spacer', 'aria-hidden': 'true', style: { height: `${rowsHidden * props.rowHeight}px` } }, h('td', { colspan: columns.length })) : null;
      const body: VNodeChild[] = [spacer(start, 'before')];
      for (let index = start; index < end; index++) {
        const row = rows[index] as never;
        body.push(
          h(
            'tr',
            { key: props.rowKey(row), class: 'virtual-table-row' },
            columns.map((column) => h('td', { key: column.key }, [column.render(row)])),
          ),
        );
      }
      body.push(spacer(rows.length - end, 'after'));
      if (rows.length === 0 && !props.loading) body.push(h('tr', { key: 'empty', class: 'virtual-table-empty' }, h('td', { colspan: columns.length }, slots.empty?.())));
      return h('div', { ...attrs, class: [attrs.class, 'virtual-table', { 'virtual-table--loading': props.loading }], 'aria-busy': props.loading ? 'true' : 'false' }, [
        h('div', { ref: viewport, class: 'virtual-table-view', 'data-testid': 'virtual-table-view', onScroll }, [
          h('table', { style: { '--virtual-table-row-height': `${props.rowHeight}px` } }, [
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
