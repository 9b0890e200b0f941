// Repeating groups (add, remove, move), conditional fields and token insertion for doctpl forms.
// Field names are dotted paths built from the data-seg attributes of the enclosing elements;
// "#" marks a list item, whose segment is its position among its siblings.
(function () {
  "use strict";
  const form = document.getElementById("doc-form");
  if (!form) return;
  let lastText = null;

  function pathOf(el) {
    const segs = [];
    for (let node = el.parentElement; node && node !== form; node = node.parentElement) {
      const seg = node.dataset.seg;
      if (seg === undefined) continue;
      if (seg === "#") {
        const items = Array.from(node.parentElement.children).filter((c) => c.classList.contains("item"));
        segs.unshift(String(items.indexOf(node)));
      } else if (seg !== "") {
        segs.unshift(seg);
      }
    }
    return segs.join(".");
  }

  function renumber() {
    form.querySelectorAll("[data-field]").forEach((el) => {
      const path = pathOf(el);
      el.name = path;
      el.id = "f-" + path.replace(/\./g, "-");
      const wrapper = el.closest(".field");
      const label = wrapper && wrapper.querySelector(":scope > label");
      if (label && wrapper.contains(el) && !el.closest(".item:not(.field .item)")) label.htmlFor = el.id;
    });
    form.querySelectorAll("ol.items").forEach((list) => {
      Array.from(list.children).forEach((item, index) => {
        const num = item.querySelector(":scope > .item-bar .num");
        if (num) num.textContent = String(index + 1);
      });
    });
  }

  function applyWhen(root) {
    root.querySelectorAll("[data-when]").forEach((el) => {
      const scope = el.parentElement.closest(".item, .group, form");
      const rules = JSON.parse(el.dataset.when);
      const shown = Object.entries(rules).every(([key, values]) => {
        const select = scope.querySelector(`:scope > .fields > .field[data-seg="${key}"] [data-field]`);
        return select && values.includes(select.value);
      });
      el.hidden = !shown;
    });
  }

  function summarize(item) {
    // The block's type and the first words of its first filled text, shown while it is collapsed.
    const fields = Array.from(item.querySelectorAll(":scope > .fields > .field:not([hidden]) [data-field]"));
    const type = fields.find((el) => el.tagName === "SELECT" && el.closest(".field").dataset.seg === "loai");
    const text = fields.map((el) => (el.tagName === "SELECT" ? "" : el.value.trim())).find((value) => value) || "";
    const short = text.length > 90 ? text.slice(0, 90) + "…" : text;
    const label = type ? type.options[type.selectedIndex].text.split(" (")[0] + ": " : "";
    item.querySelector(":scope > .item-bar .summary").textContent = label + short;
  }

  function setCollapsed(item, collapsed) {
    item.classList.toggle("collapsed", collapsed);
    const toggle = item.querySelector(":scope > .item-bar .toggle");
    toggle.textContent = collapsed ? "▸" : "▾";
    toggle.setAttribute("aria-expanded", String(!collapsed));
    if (collapsed) summarize(item);
  }

  // Nested blocks start collapsed, unless they hold an error the clerk must see.
  form.querySelectorAll(".item .item").forEach((item) => {
    if (!item.querySelector(".error")) setCollapsed(item, true);
  });

  form.addEventListener("click", (event) => {
    const button = event.target.closest("button");
    if (!button) return;
    const item = button.closest(".item");
    if (button.classList.contains("toggle") && item) {
      setCollapsed(item, !item.classList.contains("collapsed"));
    } else if (button.classList.contains("add")) {
      const template = document.getElementById(button.dataset.template);
      const list = button.parentElement.querySelector(":scope > ol.items");
      const fresh = template.content.firstElementChild.cloneNode(true);
      list.appendChild(fresh);
      renumber();
      applyWhen(fresh);
      const first = fresh.querySelector("[data-field]");
      if (first) first.focus();
    } else if (button.classList.contains("remove") && item) {
      const filled = Array.from(item.querySelectorAll("input[type=text], textarea")).some((el) => el.value.trim());
      if (!filled || window.confirm("Xóa mục này cùng toàn bộ nội dung bên trong?")) item.remove();
      renumber();
    } else if (button.classList.contains("up") && item && item.previousElementSibling) {
      item.parentElement.insertBefore(item, item.previousElementSibling);
      renumber();
    } else if (button.classList.contains("down") && item && item.nextElementSibling) {
      item.parentElement.insertBefore(item.nextElementSibling, item);
      renumber();
    }
  });

  form.addEventListener("change", (event) => {
    if (event.target.tagName === "SELECT") applyWhen(event.target.closest(".item, .group, form"));
  });

  form.addEventListener("focusin", (event) => {
    if (event.target.matches("textarea, input[type=text]")) lastText = event.target;
  });

  document.querySelectorAll(".token").forEach((button) => {
    button.addEventListener("click", () => {
      if (!lastText) return;
      const { selectionStart: start, selectionEnd: end, value } = lastText;
      lastText.value = value.slice(0, start) + button.dataset.token + value.slice(end);
      lastText.focus();
      lastText.selectionStart = lastText.selectionEnd = start + button.dataset.token.length;
    });
  });

  const previewButton = document.getElementById("preview-button");
  const panel = document.getElementById("preview");
  function showPreview() {
    renumber();
    panel.hidden = false;
    const body = document.getElementById("preview-body");
    body.textContent = "Đang dựng trang…";
    fetch(previewButton.dataset.url, { method: "POST", body: new FormData(form) })
      .then((response) => response.text())
      .then((fragment) => { body.innerHTML = fragment; })
      .catch(() => { body.textContent = "Không xem trước được; hãy thử lại."; });
  }
  if (previewButton) {
    previewButton.addEventListener("click", showPreview);
    document.getElementById("preview-refresh").addEventListener("click", showPreview);
  }

  document.querySelectorAll(".add-can-cu").forEach((button) => {
    button.addEventListener("click", () => {
      const add = document.querySelector("#f-can_cu > button.add");
      add.click();
      const inputs = document.querySelectorAll("#f-can_cu > ol.items > li [data-field]");
      inputs[inputs.length - 1].value = button.dataset.text;
    });
  });

  form.addEventListener("submit", renumber);
  renumber();
})();
