-- One row per (team, admin): the team's `admin_ids` list unnested.
with

teams as (

    select * from {{ ref('stg_intercom__teams') }}

),

unnested as (

    select
        teams.team_id,
        unnest(cast(teams.admin_ids as json[])) as list_item

    from teams

),

renamed as (

    select distinct
        team_id,
        {{ json_text('list_item', '$') }} as admin_id

    from unnested

)

select * from renamed
