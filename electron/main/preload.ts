// The sandboxed preload: exposes the contract bridge and nothing else.
import { contextBridge, ipcRenderer } from 'electron';
import { buildBridge } from './preloadBridge.js';

contextBridge.exposeInMainWorld('sessionscope', buildBridge(ipcRenderer));
