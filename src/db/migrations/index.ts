import type { Migration } from 'kysely';
import * as foundation from './2026-11-29T1000_foundation.js';
import * as organisations from './2026-11-29T1100_organisations.js';
import * as taxonomies from './2026-11-29T1110_taxonomies.js';
import * as contactsModeration from './2026-11-29T1120_contacts_moderation.js';
import * as directoryIndexes from './2026-11-29T1130_directory_indexes.js';
import * as organisationSortName from './2026-11-29T1140_organisation_sort_name.js';
import * as imports from './2026-11-29T1150_imports.js';
import * as duplicates from './2026-11-29T1160_duplicates.js';
import * as directoryVersion from './2026-11-29T1170_directory_version.js';
import * as merges from './2026-11-29T1180_merges.js';
import * as events from './2026-11-29T1200_events.js';
import * as eventFeedItems from './2026-11-29T1210_event_feed_items.js';
import * as importSpeed from './2026-11-29T1290_import_speed.js';
import * as watch from './2026-11-29T1300_watch.js';
import * as eventImageAlt from './2026-11-29T1310_event_image_alt.js';
import * as watchSearch from './2026-11-29T1320_watch_search.js';
import * as newsletter from './2026-11-29T1500_newsletter.js';
import * as newsPages from './2026-11-29T1400_news_pages.js';
import * as calls from './2026-11-29T1410_calls.js';
import * as resources from './2026-11-29T1420_resources.js';
import * as callAlerts from './2026-11-29T1510_call_alerts.js';
import * as newsletterTracking from './2026-11-29T1520_newsletter_tracking.js';
import * as importErrorKey from './2026-11-29T1530_import_error_key.js';
import * as importParallelWrites from './2026-11-30T1540_import_parallel_writes.js';
import * as newsletterListEnglish from './2026-11-30T1550_newsletter_list_english.js';
import * as newsletterSubscriberLocale from './2026-11-30T1560_newsletter_subscriber_locale.js';
import * as newsletterMailingLocale from './2026-11-30T1570_newsletter_mailing_locale.js';
import * as contactSortName from './2026-11-30T1580_contact_sort_name.js';
import * as registrationLocale from './2026-11-30T1590_registration_locale.js';
import * as importPastMembership from './2026-12-02T1600_import_past_membership.js';
import * as watchDuplicates from './2026-12-02T1610_watch_duplicates.js';
import * as newsletterMailingGreeting from './2026-12-02T1620_newsletter_mailing_greeting.js';
import * as newsletterMonthlyList from './2026-12-03T1630_newsletter_monthly_list.js';
import * as registrationIndividual from './2026-12-03T1700_registration_individual.js';
import * as eventGeoPrecision from './2026-12-03T1720_event_geo_precision.js';
import * as registrationsVersion from './2026-12-03T1800_registrations_version.js';
import * as newsletterListSpacing from './2026-12-03T1940_newsletter_list_spacing.js';

/** Every migration, in order. A new one is added here; existing ones never change. */
export const migrations: Record<string, Migration> = {
  '2026-11-29T1000_foundation': foundation,
  '2026-11-29T1100_organisations': organisations,
  '2026-11-29T1110_taxonomies': taxonomies,
  '2026-11-29T1120_contacts_moderation': contactsModeration,
  '2026-11-29T1130_directory_indexes': directoryIndexes,
  '2026-11-29T1140_organisation_sort_name': organisationSortName,
  '2026-11-29T1150_imports': imports,
  '2026-11-29T1160_duplicates': duplicates,
  '2026-11-29T1170_directory_version': directoryVersion,
  '2026-11-29T1180_merges': merges,
  '2026-11-29T1200_events': events,
  '2026-11-29T1210_event_feed_items': eventFeedItems,
  '2026-11-29T1290_import_speed': importSpeed,
  '2026-11-29T1300_watch': watch,
  '2026-11-29T1310_event_image_alt': eventImageAlt,
  '2026-11-29T1320_watch_search': watchSearch,
  '2026-11-29T1500_newsletter': newsletter,
  '2026-11-29T1400_news_pages': newsPages,
  '2026-11-29T1410_calls': calls,
  '2026-11-29T1420_resources': resources,
  '2026-11-29T1510_call_alerts': callAlerts,
  '2026-11-29T1520_newsletter_tracking': newsletterTracking,
  '2026-11-29T1530_import_error_key': importErrorKey,
  '2026-11-30T1540_import_parallel_writes': importParallelWrites,
  '2026-11-30T1550_newsletter_list_english': newsletterListEnglish,
  '2026-11-30T1560_newsletter_subscriber_locale': newsletterSubscriberLocale,
  '2026-11-30T1570_newsletter_mailing_locale': newsletterMailingLocale,
  '2026-11-30T1580_contact_sort_name': contactSortName,
  '2026-11-30T1590_registration_locale': registrationLocale,
  '2026-12-02T1600_import_past_membership': importPastMembership,
  '2026-12-02T1610_watch_duplicates': watchDuplicates,
  '2026-12-02T1620_newsletter_mailing_greeting': newsletterMailingGreeting,
  '2026-12-03T1630_newsletter_monthly_list': newsletterMonthlyList,
  '2026-12-03T1700_registration_individual': registrationIndividual,
  '2026-12-03T1720_event_geo_precision': eventGeoPrecision,
  '2026-12-03T1800_registrations_version': registrationsVersion,
  '2026-12-03T1940_newsletter_list_spacing': newsletterListSpacing,
};
