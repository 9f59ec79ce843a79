import type { Command } from '../command.js';
import { importCommand } from './importCmd.js';
import { infoCommand } from './infoCmd.js';
import { rejectsCommand } from './rejectsCmd.js';
import { requestsCommand } from './requestsCmd.js';
import { verifyCommand } from './verifyCmd.js';

/** Every CLI command; the order is the order of `sessionscope --help`. */
export const COMMANDS: Command[] = [
  importCommand,
  infoCommand,
  requestsCommand,
  rejectsCommand,
  verifyCommand,
];
