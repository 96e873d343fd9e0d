// meetkit: privacy defaults and dial-in for Jitsi Meet's config.js.
//
// What: docker-jitsi-meet appends ${CONFIG}/web/custom-config.js to the config.js it generates on every
//       start of the web container, so the assignments below win over the generated ones.
// Why:  members of self-help groups must not be identifiable and their browsers must not talk to third
//       parties: no Gravatar, no analytics or rtcstats, no STUN at jitsi.net, no app-store promotion,
//       no peer-to-peer mode (it shows participants each other's IP address). Dial-in information comes
//       from meetkit, which knows each room's PIN.
// For:  docker-jitsi-meet stable-10008 or newer (web/rootfs/defaults/settings-config.js and
//       system-config.js, master as of mid 2026). Also works appended to a Debian install's
//       /etc/jitsi/meet/<domain>-config.js.
//
// Before copying: replace https://meet.example.org with meetkit's public URL (MEETKIT_PUBLIC_URL, usually
// docker-jitsi-meet's PUBLIC_URL), e.g.
//     sed "s#https://meet.example.org#$PUBLIC_URL#g" deploy/jitsi/web/custom-config.js \
//         > "$CONFIG/web/custom-config.js"
// then restart the web container. `meetkit check-jitsi` reads the served config.js and checks all of this.
//
// Note: Jitsi lets a link override whitelisted keys (e.g. #config.disableThirdPartyRequests=false), so
// these are defaults for the links meetkit hands out, not a lock against a crafted link.

if (!config.hasOwnProperty('analytics')) config.analytics = {};
if (!config.hasOwnProperty('gravatar')) config.gravatar = {};
if (!config.hasOwnProperty('p2p')) config.p2p = {};
if (!config.hasOwnProperty('deeplinking')) config.deeplinking = {};

// No requests to third parties: no avatars from Gravatar, no analytics scripts, no Giphy, no shared video.
config.disableThirdPartyRequests = true;
config.gravatar.disabled = true;

// No analytics and no rtcstats; never put names or e-mail addresses into statistics.
config.analytics.disabled = true;
config.analytics.rtcstatsEnabled = false;
config.enableDisplayNameInStats = false;
config.enableEmailInStats = false;

// No peer-to-peer mode and no STUN server at jitsi.net: media always goes through this server's bridge.
config.p2p.enabled = false;
config.p2p.stunServers = [];

// No "download the app" page with links to the app stores; the browser joins directly.
config.deeplinking.disabled = true;
config.disableDeepLinking = true;

// Do not keep a list of recently visited rooms in the browser (tablets and shared computers).
config.doNotStoreRoom = true;

// Dial-in: Jitsi asks meetkit for the phone numbers and the room's PIN
// (GET <url>?conference=<room>@<muc domain>). Both URLs are published on the Jitsi origin by
// deploy/jitsi/web/nginx-custom/meetkit.conf, so no CORS is involved. The phone side (PBX, PINs, jigasi):
// deploy/phone/README.md.
config.dialInNumbersUrl = 'https://meet.example.org/jitsi/dial-in-numbers';
config.dialInConfCodeUrl = 'https://meet.example.org/jitsi/conference-mapper';
