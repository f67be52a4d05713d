/**
 * The one script every page loads (/assets/app.js): it loads the code of the page it is on,
 * named by <body data-page>, as a lazy chunk, so each page downloads only what it uses.
 */
const page = document.body.dataset.page;
const load = page === 'login' ? import('./login.js') : page === 'register' ? import('./register.js') : import('./home.js');
load.catch((error: unknown) => {
  // Without its script a page cannot work; say so instead of failing silently.
  const message = document.createElement('p');
  message.className = 'error';
  message.setAttribute('role', 'alert');
  message.textContent = `This page could not load its script (${error instanceof Error ? error.message : String(error)}). Reload the page.`;
  document.querySelector('main')?.prepend(message);
});
