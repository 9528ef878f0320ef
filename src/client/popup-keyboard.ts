import type L from 'leaflet';

/**
 * Keyboard use of a map's popups: Escape closes the open one from anywhere in the map `el` (Leaflet
 * closes a popup on Escape only while the map itself has the focus, not its link or its marker),
 * and focus goes back to the marker when it closes. `watch` registers a marker, with what to do
 * once its popup is open (label its close button, focus its link).
 */
export function popupKeyboard(el: HTMLElement): { watch(marker: L.Marker, onOpen: (popup: L.Popup) => void): void } {
  let opened: L.Marker | null = null;
  el.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape' || !opened) return;
    event.preventDefault();
    event.stopPropagation();
    opened.closePopup();
  });
  return {
    watch(marker, onOpen) {
      marker.on('popupopen', (event) => {
        opened = marker;
        onOpen((event as L.PopupEvent).popup);
      });
      marker.on('popupclose', () => {
        if (opened === marker) opened = null;
        marker.getElement()?.focus();
      });
    },
  };
}
