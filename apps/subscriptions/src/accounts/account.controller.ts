import { Controller } from '@nestjs/common';
import { directoryRpc, type ValidRequestOf } from '@clarion/contracts';
import { RequestHandler } from '@clarion/messaging';
import { AccountService } from './account.service';
import { SignInService } from './sign-in.service';

@Controller()
export class AccountController {
  constructor(
    private readonly signIn: SignInService,
    private readonly accounts: AccountService,
  ) {}

  @RequestHandler(directoryRpc.requestSignIn)
  requestSignIn(request: ValidRequestOf<typeof directoryRpc.requestSignIn>) {
    return this.signIn.requestSignIn(request);
  }

  @RequestHandler(directoryRpc.openSession)
  openSession(request: ValidRequestOf<typeof directoryRpc.openSession>) {
    return this.signIn.openSession(request);
  }

  @RequestHandler(directoryRpc.resolveSession)
  resolveSession(request: ValidRequestOf<typeof directoryRpc.resolveSession>) {
    return this.signIn.resolveSession(request);
  }

  @RequestHandler(directoryRpc.closeSession)
  closeSession(request: ValidRequestOf<typeof directoryRpc.closeSession>) {
    return this.signIn.closeSession(request);
  }

  @RequestHandler(directoryRpc.listSessions)
  listSessions(request: ValidRequestOf<typeof directoryRpc.listSessions>) {
    return this.signIn.listSessions(request);
  }

  @RequestHandler(directoryRpc.revokeSession)
  revokeSession(request: ValidRequestOf<typeof directoryRpc.revokeSession>) {
    return this.signIn.revokeSession(request);
  }

  @RequestHandler(directoryRpc.createAccount)
  create(request: ValidRequestOf<typeof directoryRpc.createAccount>) {
    return this.accounts.create(request);
  }

  @RequestHandler(directoryRpc.listAccounts)
  list(request: ValidRequestOf<typeof directoryRpc.listAccounts>) {
    return this.accounts.list(request);
  }

  @RequestHandler(directoryRpc.removeAccount)
  remove(request: ValidRequestOf<typeof directoryRpc.removeAccount>) {
    return this.accounts.remove(request);
  }
}
