{{
    config(
        materialized='incremental',
        unique_key='conversation_id',
        incremental_strategy='delete+insert',
        on_schema_change='fail'
    )
}}
-- One row per conversation: every metric derived from its messages (the opening
-- message and the parts), wall-clock and in business hours.
-- Incremental: a run recomputes only the conversations with a message (or a new
-- version of the conversation) extracted since the last run, replacing their rows;
-- every conversation when the office-hours configuration changed since.
{%- set office_hours_config = tojson({
    'timezone': var('intercom__office_hours_timezone'),
    'weekly': var('intercom__office_hours'),
    'calendar': [var('intercom__calendar_start'), var('intercom__calendar_end')],
}, sort_keys=true) %}
with

events as (

    select * from {{ ref('int_intercom__conversation_events') }}

),

office_hour_windows as (

    select * from {{ ref('int_intercom__office_hour_windows') }}

),

{% if is_incremental() %}
changed_conversations as (

    select distinct conversation_id
    from events
    where extracted_at > (select max(extracted_at) from {{ this }})
        or exists (
            select 1
            from {{ this }}
            where office_hours_config != '{{ office_hours_config }}'
        )

),

events_to_measure as (

    select events.*
    from events
    inner join changed_conversations
        on events.conversation_id = changed_conversations.conversation_id

),
{% else %}
events_to_measure as (

    select * from events

),
{% endif %}

first_contact_messages as (

    select
        conversation_id,
        min(created_at) filter (where is_contact_message) as first_contact_reply_at

    from events_to_measure
    group by conversation_id

),

events_after_contact as (

    select
        events.*,
        first_contact_messages.first_contact_reply_at,
        coalesce(
            events.created_at > first_contact_messages.first_contact_reply_at, false
        ) as is_after_first_contact_reply

    from events_to_measure as events
    inner join first_contact_messages
        on events.conversation_id = first_contact_messages.conversation_id

),

aggregated as (

    select
        conversation_id,

        -- contact messages
        min(first_contact_reply_at) as first_contact_reply_at,
        max(created_at) filter (where is_contact_message) as last_contact_reply_at,
        count(*) filter (where is_contact_message) as count_contact_messages,

        -- admin replies (only after the contact first wrote)
        min(created_at) filter (
            where is_admin_reply and is_after_first_contact_reply
        ) as first_admin_reply_at,
        arg_min(author_id, event_sequence) filter (
            where is_admin_reply and is_after_first_contact_reply
        ) as first_admin_reply_by_admin_id,
        max(created_at) filter (
            where is_admin_reply and is_after_first_contact_reply
        ) as last_admin_reply_at,
        count(*) filter (
            where is_admin_reply and is_after_first_contact_reply
        ) as count_admin_replies,

        -- assignments and reopens (only after the contact first wrote)
        min(created_at) filter (
            where is_assignment and is_after_first_contact_reply
        ) as first_assignment_at,
        max(created_at) filter (
            where is_assignment and is_after_first_contact_reply
        ) as last_assignment_at,
        count(*) filter (
            where is_assignment and is_after_first_contact_reply
        ) as count_assignments,
        count(*) filter (
            where is_reopen and is_after_first_contact_reply
        ) as count_reopens,
        max(created_at) filter (where is_reopen) as last_reopen_at,

        -- closes (any time), admins and bots apart
        min(created_at) filter (where is_admin_close) as first_close_at,
        max(created_at) filter (where is_admin_close) as last_close_at,
        arg_min(author_id, event_sequence) filter (
            where is_admin_close
        ) as first_closed_by_admin_id,
        arg_max(author_id, event_sequence) filter (
            where is_admin_close
        ) as last_closed_by_admin_id,
        count(*) filter (where is_admin_close) as count_admin_closes,
        min(created_at) filter (where is_bot_close) as first_bot_close_at,
        max(created_at) filter (where is_bot_close) as last_bot_close_at,
        arg_max(author_id, event_sequence) filter (
            where is_bot_close
        ) as last_closed_by_bot_id,
        count(*) filter (where is_bot_close) as count_bot_closes,

        count(*) filter (where not is_opening_message) as count_parts,
        max(extracted_at) as extracted_at,
        '{{ office_hours_config }}' as office_hours_config

    from events_after_contact
    group by conversation_id

),

-- The first admin reply after the last assignment.
replies_after_last_assignment as (

    select
        aggregated.conversation_id,
        min(events_after_contact.created_at) as last_assignment_admin_reply_at

    from aggregated
    inner join events_after_contact
        on aggregated.conversation_id = events_after_contact.conversation_id
        and events_after_contact.is_admin_reply
        and events_after_contact.is_after_first_contact_reply
        and events_after_contact.created_at > aggregated.last_assignment_at
    group by aggregated.conversation_id

),

-- Time to reply: walking the messages in order, an admin reply (after the first
-- contact message) answers the latest contact message when no reply came since it.
-- So a reply counts exactly when the message before it, among contact messages and
-- such replies, is a contact message; the gap is measured from that message.
reply_candidates as (

    select
        conversation_id,
        event_sequence,
        created_at,
        is_contact_message,
        is_admin_reply

    from events_after_contact
    where is_contact_message or (is_admin_reply and is_after_first_contact_reply)

),

reply_gaps as (

    select
        conversation_id,
        datediff(
            'second',
            lag(created_at) over by_sequence,
            created_at
        ) as reply_gap_seconds,
        is_admin_reply,
        coalesce(lag(is_contact_message) over by_sequence, false) as answers_contact

    from reply_candidates
    window by_sequence as (partition by conversation_id order by event_sequence)

),

median_replies as (

    select
        conversation_id,
        median(reply_gap_seconds) as median_time_to_reply_seconds,
        count(*) as count_timed_replies

    from reply_gaps
    where is_admin_reply and answers_contact
    group by conversation_id

),

-- Business hours: read the business clock (office seconds since the calendar
-- started) at each milestone; a duration is the difference of two readings.
milestones as (

    unpivot (
        select
            conversation_id,
            first_contact_reply_at,
            first_admin_reply_at,
            first_close_at,
            last_close_at
        from aggregated
    )
    on first_contact_reply_at, first_admin_reply_at, first_close_at, last_close_at
    into name milestone value milestone_at

),

business_clock_readings as (

    select
        milestones.conversation_id,
        milestones.milestone,
        office_hour_windows.business_seconds_before
        + least(
            greatest(
                cast(epoch(milestones.milestone_at) as bigint)
                - office_hour_windows.opens_epoch,
                0
            ),
            office_hour_windows.window_seconds
        ) as business_clock_seconds

    from milestones
    asof left join office_hour_windows
        on cast(epoch(milestones.milestone_at) as bigint) >= office_hour_windows.opens_epoch

),

business_clock as (

    select
        conversation_id,
        max(business_clock_seconds) filter (
            where milestone = 'first_contact_reply_at'
        ) as first_contact_reply_clock,
        max(business_clock_seconds) filter (
            where milestone = 'first_admin_reply_at'
        ) as first_admin_reply_clock,
        max(business_clock_seconds) filter (where milestone = 'first_close_at') as first_close_clock,
        max(business_clock_seconds) filter (where milestone = 'last_close_at') as last_close_clock

    from business_clock_readings
    group by conversation_id

),

durations as (

    select
        aggregated.*,
        replies_after_last_assignment.last_assignment_admin_reply_at,
        median_replies.median_time_to_reply_seconds,
        coalesce(median_replies.count_timed_replies, 0) as count_timed_replies,
        coalesce(
            aggregated.last_reopen_at > aggregated.first_close_at, false
        ) as is_reopened_after_close,
        datediff(
            'second', aggregated.first_contact_reply_at, aggregated.first_assignment_at
        ) as time_to_first_assignment_seconds,
        datediff(
            'second', aggregated.first_contact_reply_at, aggregated.first_admin_reply_at
        ) as time_to_first_admin_reply_seconds,
        datediff(
            'second', aggregated.first_contact_reply_at, aggregated.first_close_at
        ) as time_to_first_close_seconds,
        datediff(
            'second', aggregated.first_contact_reply_at, aggregated.last_close_at
        ) as time_to_last_close_seconds,
        {{ business_seconds_between(
            'business_clock.first_contact_reply_clock',
            'business_clock.first_admin_reply_clock') }}
            as time_to_first_admin_reply_business_seconds,
        {{ business_seconds_between(
            'business_clock.first_contact_reply_clock',
            'business_clock.first_close_clock') }}
            as time_to_first_close_business_seconds,
        {{ business_seconds_between(
            'business_clock.first_contact_reply_clock',
            'business_clock.last_close_clock') }}
            as time_to_last_close_business_seconds

    from aggregated
    left join replies_after_last_assignment
        on aggregated.conversation_id = replies_after_last_assignment.conversation_id
    left join median_replies
        on aggregated.conversation_id = median_replies.conversation_id
    left join business_clock
        on aggregated.conversation_id = business_clock.conversation_id

)

select * from durations
