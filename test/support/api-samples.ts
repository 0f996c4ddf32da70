/** A location the management API accepts (PUT /locations/{id}), not in config/portfolio.yaml. */
export const GEORGETOWN = {
  name: 'Georgetown Storage',
  timeZone: 'America/Chicago',
  hours: {
    mon: '09:00-18:00',
    tue: '09:00-18:00',
    wed: '09:00-18:00',
    thu: '09:00-18:00',
    fri: '09:00-18:00',
    sat: 'closed',
    sun: 'closed',
  },
  ringTo: '+15125550131',
  fallback: { type: 'queue', queue: 'call-center' },
};
