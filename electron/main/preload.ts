// The sandboxed preload: exposes the contract bridge and nothing else. The names come from
// main as window arguments (see createMainWindow), so this file never loads the contract.
import { contextBridge, ipcRenderer } from 'electron';
import { parseBridgeArguments } from '../../shared/contract/ipcChannels.js';
import { buildBridge } from './preloadBridge.js';

contextBridge.exposeInMainWorld(
  'sessionscope',
  buildBridge(ipcRenderer, parseBridgeArguments(process.argv)),
);
