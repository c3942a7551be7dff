-- One row per admin (teammate or bot) with their teams.
with

admins as (

    select * from {{ ref('stg_intercom__admins') }}

),

team_admins as (

    select * from {{ ref('stg_intercom__team_admins') }}

),

teams as (

    select * from {{ ref('stg_intercom__teams') }}

),

team_lists as (

    select
        team_admins.admin_id,
        string_agg(teams.team_name, ', ' order by teams.team_name) as team_names,
        count(*) as count_teams

    from team_admins
    inner join teams
        on team_admins.team_id = teams.team_id
    group by team_admins.admin_id

),

final as (

    select
        admins.admin_id,
        admins.admin_name,
        admins.admin_email,
        admins.job_title,
        team_lists.team_names,
        coalesce(team_lists.count_teams, 0) as count_teams,
        admins.is_bot,
        admins.is_away_mode_enabled,
        admins.is_away_mode_reassign,
        admins.has_inbox_seat

    from admins
    left join team_lists
        on admins.admin_id = team_lists.admin_id

)

select * from final
