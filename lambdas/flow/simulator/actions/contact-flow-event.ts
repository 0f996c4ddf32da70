import type { SimulatedContact } from '../simulated-contact.js';
import type { ContactFlowEvent } from '../types.js';

/** The event Connect sends a Lambda the flow invokes, from the contact as it is now. */
export const contactFlowEvent = (
  contact: SimulatedContact,
  parameters: Readonly<Record<string, string>>,
): ContactFlowEvent => {
  const endpoint = (address: string) => ({ Address: address, Type: 'TELEPHONE_NUMBER' });
  const [, , , region = 'us-east-1'] = contact.instanceArn.split(':');
  return {
    Name: 'ContactFlowEvent',
    Details: {
      ContactData: {
        Attributes: { ...contact.attributes },
        AwsRegion: region,
        Channel: 'VOICE',
        ContactId: contact.contactId,
        CustomerEndpoint: endpoint(contact.call.caller),
        InitialContactId: contact.contactId,
        InitiationMethod: 'INBOUND',
        InstanceARN: contact.instanceArn,
        LanguageCode: 'en-US',
        Name: null,
        // A first contact names itself as its previous contact in the event (as real events do).
        PreviousContactId: contact.contactId,
        Queue:
          contact.targetQueue === undefined
            ? null
            : { ARN: contact.targetQueue.arn, Name: contact.targetQueue.name },
        RelatedContactId: null,
        SegmentAttributes: { 'connect:Subtype': { ValueString: 'connect:Telephony' } },
        SystemEndpoint: endpoint(contact.call.dialed),
        Tags: {
          'aws:connect:instanceId': contact.instanceArn.split('/')[1] ?? '',
          'aws:connect:systemEndpoint': contact.call.dialed,
        },
      },
      Parameters: { ...parameters },
    },
  };
};
