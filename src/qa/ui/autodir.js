// Let the question box follow the script being typed (Gradio's Textbox has no `dir` option), and
// show a character counter near the limit (QA_MAX_QUESTION_CHARS; a longer question is refused).
() => {
  const limit = QA_LIMIT;
  const count = t => {
    let c = t.parentElement.querySelector('.qa-count');
    if (t.value.length < 0.9 * limit) { if (c) c.remove(); return; }
    if (!c) { c = document.createElement('div'); c.className = 'qa-count'; c.setAttribute('aria-live', 'polite'); t.after(c); }
    c.textContent = `${t.value.length.toLocaleString()} / ${limit.toLocaleString()}`;
    c.classList.toggle('qa-count-over', t.value.length > limit);
  };
  const apply = () => document.querySelectorAll('#qa-input textarea').forEach(t => {
    t.setAttribute('dir', 'auto');
    if (!t.dataset.qaCount) { t.dataset.qaCount = '1'; t.addEventListener('input', () => count(t)); }
  });
  apply();
  new MutationObserver(apply).observe(document.body, {childList: true, subtree: true});
  // On a narrow screen a chip opens its source in place, as a card under the answer (no jump to the
  // article far below); the card's button closes it.
  document.addEventListener('click', event => {
    const close = event.target.closest && event.target.closest('.qa-card-close');
    if (close) { close.closest('.qa-card').classList.remove('qa-card-open'); return; }
    const chip = event.target.closest && event.target.closest('#qa-chat .qa-chip');
    if (!chip || window.innerWidth > 700) return;
    const n = chip.querySelector('.qa-chip-n')?.textContent.trim();
    const card = chip.closest('.qa-msg')?.querySelector(`.qa-card-${n}`);
    if (!card) return;
    event.preventDefault();
    card.classList.toggle('qa-card-open');
  }, true);
  // A chip (or [n]) of any answer, not only the last: show that answer's sources and highlights.
  document.addEventListener('click', event => {
    const chip = event.target.closest && event.target.closest('#qa-chat .qa-chip, #qa-chat .qa-ref');
    if (!chip) return;
    const bots = [...document.querySelectorAll('#qa-chat .qa-bot')];
    const n = bots.indexOf(chip.closest('.qa-bot'));
    const box = document.querySelector('#qa-pick textarea, #qa-pick input');
    if (n < 0 || !box) return;
    box.value = `${n}|${Date.now()}`;
    box.dispatchEvent(new Event('input', {bubbles: true}));
  });
  // An answer's copy button: its plain text with its citations (rendered hidden beside it).
  document.addEventListener('click', event => {
    const button = event.target.closest && event.target.closest('.qa-copy');
    if (!button) return;
    const text = button.closest('.qa-msg')?.querySelector('.qa-copytext')?.textContent ?? '';
    navigator.clipboard.writeText(text).then(() => {
      button.classList.add('qa-copied');
      setTimeout(() => button.classList.remove('qa-copied'), 1500);
    }, () => {});
  });
}
