/** Whether the window is phone-narrow (≤ 640 px), following rotations and resizes. */
import { onBeforeUnmount, ref } from 'vue'

export const NARROW = '(max-width: 640px)'

export function useNarrow() {
  const query = window.matchMedia(NARROW)
  const narrow = ref(query.matches)
  const follow = (e: MediaQueryListEvent) => (narrow.value = e.matches)
  query.addEventListener('change', follow)
  onBeforeUnmount(() => query.removeEventListener('change', follow))
  return narrow
}
