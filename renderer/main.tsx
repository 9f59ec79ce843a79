import './zodConfig';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { getClient } from './api/client';
import { windowViewHistory } from './state/viewHistory';

// The token is read (and removed from the address bar) before the hash is looked at.
const client = getClient();
const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
const history = windowViewHistory(window);

createRoot(root).render(
  <StrictMode>
    <App client={client} storage={window.localStorage} history={history} />
  </StrictMode>,
);
