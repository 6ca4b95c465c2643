// Installed in every frame before the page's own scripts: which script asked for each
// navigation or window (the stack at the moment it asked), so a finding can name the
// script, and no WebRTC (its UDP would bypass the network interception).
(() => {
  const asked = [];
  Object.defineProperty(window, "__appauditAsked", {value: asked, enumerable: false});
  const note = (url) => { try { asked.push([new URL(String(url), location.href).href, new Error().stack || ""]); } catch (e) {} };
  if (window.navigation) window.navigation.addEventListener("navigate", (event) => note(event.destination.url));
  const open = window.open;
  window.open = function (url, ...rest) { note(url); return open.call(this, url, ...rest); };
  for (const name of ["RTCPeerConnection", "webkitRTCPeerConnection", "RTCDataChannel", "RTCIceCandidate",
                      "RTCSessionDescription", "RTCRtpSender", "RTCRtpReceiver", "RTCRtpTransceiver"]) {
    try { Object.defineProperty(window, name, {value: undefined, writable: false, configurable: false}); } catch (e) {}
  }
})();
