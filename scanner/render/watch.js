// Installed in every frame before the page's own scripts: which script asked for each
// navigation or window (the stack at the moment it asked), handed to the scanner's binding
// so a finding can name the script; and no WebRTC (its UDP would bypass the network
// interception). The binding is taken off the page's window so the page cannot call it.
(() => {
  for (const name of ["RTCPeerConnection", "webkitRTCPeerConnection", "RTCDataChannel", "RTCIceCandidate",
                      "RTCSessionDescription", "RTCRtpSender", "RTCRtpReceiver", "RTCRtpTransceiver"]) {
    try { Object.defineProperty(window, name, {value: undefined, writable: false, configurable: false}); } catch (e) {}
  }
  const tell = window.__appauditAsked;
  try { delete window.__appauditAsked; } catch (e) {}
  if (typeof tell !== "function") return;
  let told = 0;
  const note = (url) => {
    if (told++ >= 64) return;  // a page asking without end is not listened to without end
    try { tell(new URL(String(url), location.href).href, String(new Error().stack || "").slice(0, 4000)); } catch (e) {}
  };
  if (window.navigation) window.navigation.addEventListener("navigate", (event) => note(event.destination.url));
  const open = window.open;
  window.open = function (url, ...rest) { note(url); return open.call(this, url, ...rest); };
})();
