-- One row per (admin, team): each admin's handling of conversations, split by the
-- team each conversation is assigned to now (team_id null: no team). Every metric
-- credits one admin per conversation, so rows add up:
--   assigned: the conversation's assignee now;
--   replied: the admin replied after the contact's first message;
--   first response times: the admin sent the first reply;
--   closed, close times: the admin closed it last;
--   rating: the teammate the contact rated;
--   reopen rate: conversations the admin closed first that were reopened after it.
with

admins as (

    select * from {{ ref('stg_intercom__admins') }}

),

teams as (

    select * from {{ ref('stg_intercom__teams') }}

),

conversation_metrics as (

    select * from {{ ref('conversation_metrics') }}

),

conversations as (

    select * from {{ ref('stg_intercom__conversations') }}

),

events as (

    select * from {{ ref('int_intercom__conversation_events') }}

),

repliers as (

    select distinct
        events.conversation_id,
        events.author_id as admin_id

    from events
    inner join conversation_metrics
        on events.conversation_id = conversation_metrics.conversation_id
    where events.is_admin_reply
        and events.created_at > conversation_metrics.first_contact_reply_at

),

-- One row per (conversation, admin credited with any role).
conversation_admins as (

    select conversation_id, assignee_admin_id as admin_id from conversation_metrics
    where assignee_admin_id is not null
    union
    select conversation_id, admin_id from repliers
    union
    select conversation_id, first_admin_reply_by_admin_id from conversation_metrics
    where first_admin_reply_by_admin_id is not null
    union
    select conversation_id, last_closed_by_admin_id from conversation_metrics
    where last_closed_by_admin_id is not null
    union
    select conversation_id, first_closed_by_admin_id from conversation_metrics
    where first_closed_by_admin_id is not null
    union
    select conversation_id, rating_admin_id from conversations
    where rating_admin_id is not null and rating is not null

),

credited as (

    select
        conversation_admins.admin_id,
        conversation_metrics.*,
        conversation_metrics.assignee_admin_id = conversation_admins.admin_id
            as is_assigned,
        repliers.admin_id is not null as is_replier,
        conversations.rating_admin_id = conversation_admins.admin_id as is_rated

    from conversation_admins
    inner join conversation_metrics
        on conversation_admins.conversation_id = conversation_metrics.conversation_id
    inner join conversations
        on conversation_admins.conversation_id = conversations.conversation_id
    left join repliers
        on conversation_admins.conversation_id = repliers.conversation_id
        and conversation_admins.admin_id = repliers.admin_id

),

handled as (

    select
        admin_id,
        assignee_team_id as team_id,
        {{ conversation_handling_metrics(
            assigned='coalesce(is_assigned, false)',
            replied='is_replier',
            closed='coalesce(last_closed_by_admin_id = admin_id, false)',
            first_replied='coalesce(first_admin_reply_by_admin_id = admin_id, false)',
            last_closed='coalesce(last_closed_by_admin_id = admin_id, false)',
            rated='coalesce(is_rated, false)',
            reopen_base='coalesce(first_closed_by_admin_id = admin_id, false)'
        ) }}

    from credited
    group by admin_id, assignee_team_id

),

-- Admins credited with nothing still get a row (team_id null).
admin_teams as (

    select admin_id, team_id from handled
    union
    select admins.admin_id, cast(null as varchar) as team_id
    from admins
    where admins.admin_id not in (select handled.admin_id from handled)

),

final as (

    select
        admin_teams.admin_id,
        admin_teams.team_id,
        admins.admin_name,
        admins.is_bot,
        teams.team_name,
        coalesce(handled.count_conversations_assigned, 0) as count_conversations_assigned,
        coalesce(handled.count_conversations_replied, 0) as count_conversations_replied,
        coalesce(handled.count_conversations_closed, 0) as count_conversations_closed,
        handled.median_time_to_first_admin_reply_seconds,
        handled.p90_time_to_first_admin_reply_seconds,
        handled.median_time_to_first_admin_reply_minutes,
        handled.p90_time_to_first_admin_reply_minutes,
        handled.median_time_to_last_close_seconds,
        handled.p90_time_to_last_close_seconds,
        handled.median_time_to_last_close_minutes,
        handled.p90_time_to_last_close_minutes,
        coalesce(handled.count_ratings, 0) as count_ratings,
        handled.average_rating,
        handled.reopen_rate

    from admin_teams
    left join handled
        on admin_teams.admin_id = handled.admin_id
        and admin_teams.team_id is not distinct from handled.team_id
    left join admins
        on admin_teams.admin_id = admins.admin_id
    left join teams
        on admin_teams.team_id = teams.team_id

)

select * from final
