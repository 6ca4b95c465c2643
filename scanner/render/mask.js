// Personal values replaced by their masks on the page before any screenshot ([raw,
// masked] pairs, longest first): in text nodes, in a value split across elements
// ("<span>138</span><span>1234</span>…": the smallest element holding it all gets its text
// masked), in form fields and placeholders, and in the page's same-origin frames.
(pairs) => {
  const swap = (text) => pairs.reduce((t, [raw, masked]) => t.split(raw).join(masked), text);
  const maskDocument = (doc) => {
    const walker = doc.createTreeWalker(doc.documentElement, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const masked = swap(node.nodeValue);
      if (masked !== node.nodeValue) node.nodeValue = masked;
    }
    const root = doc.body || doc.documentElement;
    for (const [raw] of pairs) {
      while (root.textContent.includes(raw)) {
        let holder = root;
        for (let child = holder; child; child = [...holder.children].find((c) => c.textContent.includes(raw))) {
          holder = child;
        }
        const before = holder.textContent;
        holder.textContent = swap(before);
        if (holder.textContent === before) break;
      }
    }
    for (const field of doc.querySelectorAll("input, textarea")) {
      if (field.value) field.value = swap(field.value);
      const hint = field.getAttribute("placeholder");
      if (hint) field.setAttribute("placeholder", swap(hint));
    }
    for (const frame of doc.querySelectorAll("iframe, frame")) {
      try { if (frame.contentDocument) maskDocument(frame.contentDocument); } catch (e) {}  // another origin's: out of reach
    }
  };
  maskDocument(document);
}
