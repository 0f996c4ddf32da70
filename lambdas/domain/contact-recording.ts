/**
 * What recording-control asks of Amazon Connect: suspend, resume or stop a contact's recording
 * (a stop is final: Connect cannot restart a stopped recording). The
 * command carries Connect's own operation and field names, so the Connect adapter only sends it
 * and a stand-in (the route preview's, the local system's) sees exactly what Connect would.
 */
export interface RecordingCommand {
  readonly name: 'SuspendContactRecording' | 'ResumeContactRecording' | 'StopContactRecording';
  readonly input: {
    readonly InstanceId: string;
    readonly ContactId: string;
    readonly InitialContactId: string;
    readonly ContactRecordingType: 'IVR';
  };
}

/** Amazon Connect as recording-control uses it: resolves once Connect accepted, else rejects. */
export interface ContactRecordingPort {
  send(command: RecordingCommand): Promise<void>;
}
