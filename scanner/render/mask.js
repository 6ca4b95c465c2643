// Personal values replaced by their masks in the page's text and form fields, before
// any screenshot ([raw, masked] pairs, longest first).
(pairs) => {
  const swap = (text) => pairs.reduce((t, [raw, masked]) => t.split(raw).join(masked), text);
  const walker = document.createTreeWalker(document.documentElement, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const masked = swap(node.nodeValue);
    if (masked !== node.nodeValue) node.nodeValue = masked;
  }
  for (const field of document.querySelectorAll("input, textarea")) {
    if (field.value) field.value = swap(field.value);
  }
}
