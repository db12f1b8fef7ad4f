import { describeAccountsContract } from './accounts-contract.js';
import { MemoryAccounts } from './memory-accounts.js';

describeAccountsContract('MemoryAccounts', () => new MemoryAccounts());
