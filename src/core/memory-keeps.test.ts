import { describeKeepsContract } from './keeps-contract.js';
import { MemoryKeeps } from './keeps.js';

describeKeepsContract('MemoryKeeps', () => new MemoryKeeps());
