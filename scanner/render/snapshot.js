// The rendered page as the browser has it: the DOM serialised with a number on every
// element, and per element the computed values the checks read, its box and whether a
// tap at its centre reaches it. Form state (checked, selected, typed values) is written
// back into attributes so the markup says what the screen shows.
({marker, properties, limit}) => {
  const all = [document.documentElement, ...document.documentElement.querySelectorAll("*")].slice(0, limit);
  const width = innerWidth, height = innerHeight;
  const facts = [];
  all.forEach((element, n) => {
    element.setAttribute(marker, String(n));
    if (element instanceof HTMLInputElement && (element.type === "checkbox" || element.type === "radio")) {
      element.toggleAttribute("checked", element.checked);
    } else if (element instanceof HTMLOptionElement) {
      element.toggleAttribute("selected", element.selected);
    }
    const style = getComputedStyle(element);
    const box = element.getBoundingClientRect();
    let onTop = null;
    const x = box.left + box.width / 2, y = box.top + box.height / 2;
    if (box.width > 0 && box.height > 0 && x >= 0 && y >= 0 && x < width && y < height) {
      const hit = document.elementFromPoint(x, y);
      onTop = !!hit && (hit === element || element.contains(hit));
    }
    facts.push([properties.map((name) => style.getPropertyValue(name)), [box.left, box.top, box.width, box.height], onTop]);
  });
  const doctype = document.doctype ? "<!DOCTYPE html>" : "";
  const html = doctype + document.documentElement.outerHTML;
  all.forEach((element) => element.removeAttribute(marker));
  // One string: a large structured answer costs the client far more to check than to parse.
  return JSON.stringify({html, facts, viewport: [width, height]});
}
