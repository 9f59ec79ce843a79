import type { Command } from '../command.js';
import { attacksCommand } from './attacksCmd.js';
import { auditCommand } from './auditCmd.js';
import { compactCommand } from './compactCmd.js';
import { endpointsCommand } from './endpointsCmd.js';
import { exportCommand } from './exportCmd.js';
import { fpCommand } from './fpCmd.js';
import { importCommand } from './importCmd.js';
import { infoCommand } from './infoCmd.js';
import { rebuildCommand } from './rebuildCmd.js';
import { rejectsCommand } from './rejectsCmd.js';
import { removeSourceCommand } from './removeSourceCmd.js';
import { rulesCommand } from './rulesCmd.js';
import { requestsCommand } from './requestsCmd.js';
import { serveCommand } from './serveCmd.js';
import { sessionCommand } from './sessionCmd.js';
import { sessionsCommand } from './sessionsCmd.js';
import { timelineCommand } from './timelineCmd.js';
import { upgradeCommand } from './upgradeCmd.js';
import { specCommand } from './specCmd.js';
import { verdictCommand } from './verdictCmd.js';
import { verifyCommand } from './verifyCmd.js';

/** Every CLI command; the order is the order of `sessionscope --help`. */
export const COMMANDS: Command[] = [
  importCommand,
  removeSourceCommand,
  infoCommand,
  rebuildCommand,
  sessionsCommand,
  sessionCommand,
  timelineCommand,
  verdictCommand,
  endpointsCommand,
  attacksCommand,
  rulesCommand,
  fpCommand,
  requestsCommand,
  rejectsCommand,
  exportCommand,
  specCommand,
  auditCommand,
  verifyCommand,
  compactCommand,
  upgradeCommand,
  serveCommand,
];
