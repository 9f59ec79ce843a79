import './zodConfig';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { getClient } from './api/client';
import { deferredHashWriter } from './state/hashWriter';
import { decodeViewState } from './state/viewState';

// The token is read (and removed from the address bar) before the hash is looked at.
const client = getClient();
const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
const writeHash = deferredHashWriter(window);

createRoot(root).render(
  <StrictMode>
    <App
      client={client}
      storage={window.localStorage}
      initialView={decodeViewState(window.location.hash)}
      onHash={writeHash}
    />
  </StrictMode>,
);
