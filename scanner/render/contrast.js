// The contrast of a control against what is actually behind it, from two pictures of its
// box: with the control drawn and with it hidden. Among the pixels the control changes,
// the WCAG contrast between the two pictures of the k-th most contrasting pixel, k being
// about what one stroke of a glyph covers (twice the box's short side): the glyph's
// strokes decide, not a faint tint of its whole box nor a few anti-aliased edge pixels.
// Null when the control changes no pixel (an invisible hit area over a close drawn by what
// is behind it: nothing to measure).
async ([shown, hidden]) => {
  const load = (png) => new Promise((done, failed) => {
    const picture = new Image();
    picture.onload = () => done(picture);
    picture.onerror = failed;
    picture.src = "data:image/png;base64," + png;
  });
  const pixels = (picture) => {
    const canvas = document.createElement("canvas");
    canvas.width = picture.width;
    canvas.height = picture.height;
    const drawing = canvas.getContext("2d");
    drawing.drawImage(picture, 0, 0);
    return drawing.getImageData(0, 0, picture.width, picture.height).data;
  };
  const pictures = await Promise.all([load(shown), load(hidden)]);
  const [a, b] = pictures.map(pixels);
  if (a.length !== b.length) return null;
  const stroke = 2 * Math.min(pictures[0].width, pictures[0].height);
  const linear = (v) => { v /= 255; return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
  const luminance = (d, i) => 0.2126 * linear(d[i]) + 0.7152 * linear(d[i + 1]) + 0.0722 * linear(d[i + 2]);
  const ratios = [];
  for (let i = 0; i < a.length; i += 4) {
    if (Math.abs(a[i] - b[i]) + Math.abs(a[i + 1] - b[i + 1]) + Math.abs(a[i + 2] - b[i + 2]) <= 6) continue;
    const x = luminance(a, i), y = luminance(b, i);
    ratios.push((Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05));
  }
  if (!ratios.length) return null;
  ratios.sort((m, n) => n - m);
  return ratios[Math.min(stroke, Math.floor(ratios.length / 2))];
}
