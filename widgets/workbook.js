// Carries the workbook's shared style sheet (workbook.css) onto the page. anywidget adds a
// widget's _css to the document once per widget class, so rendering this empty element
// is all it takes; the element itself stays hidden.

function render({ el }) {
  el.classList.add("swb-stylesheet");
  el.setAttribute("aria-hidden", "true");
}

export default { render };
