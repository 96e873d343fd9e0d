-- meetkit: Prosody event_sync component (optional second source of attendance counts).
--
-- What: jitsi-contrib's event_sync component POSTs JSON to meetkit when a room is created or destroyed
--       and when an occupant joins or leaves: <api_prefix>/events/room/created, /events/room/destroyed,
--       /events/occupant/joined, /events/occupant/left.
-- Why:  meetkit keeps only the counts (active_occupants_count) and the room times (created_at,
--       destroyed_at) and drops every other field before storing or logging anything. The room census
--       (GLOBAL_MODULES=muc_census) is enough on its own; use this when you want exact start/end times.
-- For:  docker-jitsi-meet stable-10008 or newer. Its prosody image ships jitsi-contrib's plugins in
--       /prosody-plugins-contrib (the event_sync_component -> event_sync link lets Prosody find the module),
--       and it copies ${CONFIG}/prosody/config to /run/prosody/config at start, where
--       prosody.cfg.lua includes conf.d/*.cfg.lua. (The include is read from the image's startup script,
--       not documented upstream; not verified against a running Prosody.)
--
-- Install: replace CHANGE_ME_MEETKIT_EVENTS_SECRET with the value of MEETKIT_EVENTS_SECRET and the
-- domains if you changed XMPP_DOMAIN / XMPP_MUC_DOMAIN, then
--     sed "s#CHANGE_ME_MEETKIT_EVENTS_SECRET#$MEETKIT_EVENTS_SECRET#" \
--         deploy/jitsi/prosody/conf.d/meetkit-event-sync.cfg.lua \
--         > "$CONFIG/prosody/config/conf.d/meetkit-event-sync.cfg.lua"
--     chmod 600 "$CONFIG/prosody/config/conf.d/meetkit-event-sync.cfg.lua"
-- and restart the prosody container.
--
-- Keep tokens free of names and e-mail addresses (meetkit's are): event_sync sends context.user's name,
-- email and id whenever a token has them, even with include_user_info = false.
--
-- This must be a conf.d file: never put a Component into GLOBAL_CONFIG, the global options that follow it
-- in prosody.cfg.lua would become options of the component.

Component "esync.meet.jitsi" "event_sync_component"
    muc_component = "muc.meet.jitsi"
    breakout_component = "breakout.meet.jitsi"

    -- meetkit on the internal meet.jitsi network (alias from deploy/docker/meetkit.yml); not the public URL.
    api_prefix = "http://meetkit.meet.jitsi:8080/jitsi"
    api_headers = {
        ["Authorization"] = "Bearer CHANGE_ME_MEETKIT_EVENTS_SECRET";
    }
    api_timeout = 10
    api_retry_count = 3
    api_retry_delay = 1

    -- Nothing about persons beyond what event_sync always sends.
    include_speaker_stats = false
    include_user_info = false
