/**
 * 台账 rows drawn as the page scrolls. A county plan (≤ 300 tasks) is drawn whole, so every row is in the page
 * at once (find-in-page, tests and screen readers see them all); a city's plan of 1,000–3,000 tasks draws only
 * the rows on screen plus a margin, measured as they appear, and everything when the page is printed.
 */
import { computed, onBeforeUnmount, onMounted, ref, watch, type Ref } from 'vue'
import { useWindowVirtualizer } from '@tanstack/vue-virtual'

/** Above this many rows, only the rows on screen are drawn. */
export const VIRTUAL_FROM = 300
/** Rows that fill a first screen (a desktop shows about 20 table rows, a phone about 6 cards). */
const FIRST_SCREEN = 40

/** True while the browser prints (every row then, whatever the size). */
const printing = ref(false)
if (typeof window !== 'undefined') {
  window.addEventListener('beforeprint', () => (printing.value = true))
  window.addEventListener('afterprint', () => (printing.value = false))
}
export function setPrinting(on: boolean): void {
  printing.value = on
}

export interface Shown<T> {
  index: number
  row: T
}

export function useVirtualRows<T>(rows: Ref<T[]>, list: Ref<HTMLElement | null>, estimate: number) {
  const on = computed(() => rows.value.length > VIRTUAL_FROM && !printing.value)
  /** Where the list starts in the page: the virtualiser counts from the top of the document. */
  const margin = ref(0)
  const place = () => {
    if (list.value) margin.value = list.value.getBoundingClientRect().top + window.scrollY
  }
  const virtualizer = useWindowVirtualizer(
    computed(() => ({
      count: on.value ? rows.value.length : 0,
      estimateSize: () => estimate,
      overscan: 8,
      scrollMargin: margin.value,
    })),
  )
  watch([rows, list], () => requestAnimationFrame(place))
  let observer: ResizeObserver | null = null
  onMounted(() => {
    place()
    observer = new ResizeObserver(place)
    observer.observe(document.body)
  })
  onBeforeUnmount(() => observer?.disconnect())

  /**
   * Drawn whole, the rows still come in two steps: the first screen at once, the rest one frame later, so a
   * filter or a new page answers on screen without waiting for the rows below it (never a trickle).
   */
  const limit = ref(FIRST_SCREEN)
  let frame = 0
  let timer = 0
  const stop = () => {
    cancelAnimationFrame(frame)
    clearTimeout(timer)
  }
  watch(
    rows,
    () => {
      stop()
      if (rows.value.length <= FIRST_SCREEN) return
      limit.value = FIRST_SCREEN
      frame = requestAnimationFrame(() => (timer = window.setTimeout(() => (limit.value = Infinity), 0)))
    },
    { immediate: true },
  )
  onBeforeUnmount(stop)
  const items = computed(() => (on.value ? virtualizer.value.getVirtualItems() : []))
  const shown = computed<Shown<T>[]>(() => {
    if (on.value) return items.value.map((i) => ({ index: i.index, row: rows.value[i.index] }))
    const whole = printing.value ? rows.value : rows.value.slice(0, limit.value)
    return whole.map((row, index) => ({ index, row }))
  })
  /** Blank space standing for the rows above and below those drawn. */
  const before = computed(() => (on.value && items.value.length ? items.value[0].start - margin.value : 0))
  const after = computed(() =>
    on.value && items.value.length ? virtualizer.value.getTotalSize() - (items.value[items.value.length - 1].end - margin.value) : 0,
  )
  /** Ref callback for each drawn row (it carries data-index): its real height replaces the estimate. */
  function measure(el: unknown) {
    if (on.value && el instanceof Element) virtualizer.value.measureElement(el)
  }
  return { on, shown, before, after, measure }
}
