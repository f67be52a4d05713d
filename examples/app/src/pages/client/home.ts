/** /: shows the session, if any, with a logout button. */
import { byId, currentUser, logout } from './common.js';

const session = byId('session');

async function refresh(): Promise<void> {
  const user = await currentUser();
  byId('session-user').textContent = user ?? '';
  session.hidden = user === null;
  byId('actions').hidden = user !== null;
}

byId('logout').addEventListener('click', () => {
  void logout().then(refresh);
});

void refresh();
