// Let the question box follow the script being typed (Gradio's Textbox has no `dir` option).
() => {
  const apply = () => document.querySelectorAll('#qa-input textarea').forEach(t => t.setAttribute('dir', 'auto'));
  apply();
  new MutationObserver(apply).observe(document.body, {childList: true, subtree: true});
}
