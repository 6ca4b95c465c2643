// A shake: strong synthetic devicemotion and deviceorientation events (one of them per call).
(step) => {
  const sign = step % 2 ? -1 : 1;
  const strong = {x: 30 * sign, y: 30 * sign, z: 30 * sign};
  window.dispatchEvent(new DeviceMotionEvent("devicemotion", {
    acceleration: strong, accelerationIncludingGravity: strong,
    rotationRate: {alpha: 180 * sign, beta: 180 * sign, gamma: 180 * sign}, interval: 16}));
  window.dispatchEvent(new DeviceOrientationEvent("deviceorientation", {
    alpha: (step * 70) % 360, beta: 60 * sign, gamma: 45 * sign}));
}
