import { onBeforeUnmount, onMounted, ref } from "vue";

const QUERY = "(max-width: 768px)";

/** Whether the screen is a phone's: the menu becomes a drawer and tables become cards. */
export function usePhone() {
  const media = window.matchMedia(QUERY);
  const phone = ref(media.matches);
  const update = () => {
    phone.value = media.matches;
  };
  onMounted(() => media.addEventListener("change", update));
  onBeforeUnmount(() => media.removeEventListener("change", update));
  return phone;
}
