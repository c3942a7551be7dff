-- One row per team: the conversations assigned to it now and how they were handled.
with

teams as (

    select * from {{ ref('stg_intercom__teams') }}

),

team_admins as (

    select * from {{ ref('stg_intercom__team_admins') }}

),

conversation_metrics as (

    select * from {{ ref('conversation_metrics') }}

),

members as (

    select
        team_id,
        count(*) as count_admins

    from team_admins
    group by team_id

),

handled as (

    select
        assignee_team_id as team_id,
        {{ conversation_handling_metrics() }}

    from conversation_metrics
    where assignee_team_id is not null
    group by assignee_team_id

),

final as (

    select
        teams.team_id,
        teams.team_name,
        coalesce(members.count_admins, 0) as count_admins,
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

    from teams
    left join members
        on teams.team_id = members.team_id
    left join handled
        on teams.team_id = handled.team_id

)

select * from final
