-- One row per team with its members.
with

teams as (

    select * from {{ ref('stg_intercom__teams') }}

),

team_admins as (

    select * from {{ ref('stg_intercom__team_admins') }}

),

admins as (

    select * from {{ ref('stg_intercom__admins') }}

),

member_lists as (

    select
        team_admins.team_id,
        string_agg(
            coalesce(admins.admin_name, team_admins.admin_id), ', '
            order by coalesce(admins.admin_name, team_admins.admin_id)
        ) as admin_names,
        count(*) as count_admins

    from team_admins
    left join admins
        on team_admins.admin_id = admins.admin_id
    group by team_admins.team_id

),

final as (

    select
        teams.team_id,
        teams.team_name,
        member_lists.admin_names,
        coalesce(member_lists.count_admins, 0) as count_admins

    from teams
    left join member_lists
        on teams.team_id = member_lists.team_id

)

select * from final
