/** The parts of mailauth (no typings of its own) the DKIM test uses: an independent DKIM verifier. */
declare module 'mailauth/lib/dkim/verify' {
  export interface DkimResult {
    signingDomain: string;
    selector: string;
    status: { result: 'pass' | 'fail' | 'neutral' | 'none' | 'temperror' | 'permerror' | 'policy'; comment?: string };
  }
  /** `resolver` as dns.promises.resolve: TXT records as arrays of strings; throws ENOTFOUND for a name it has not. */
  export function dkimVerify(
    input: Buffer | string,
    options: { resolver: (name: string, rrtype: string) => Promise<string[][]> },
  ): Promise<{ results: DkimResult[] }>;
}
