-- One row per ticket with its type, state, contact and assignees.
with

tickets as (

    select * from {{ ref('stg_intercom__tickets') }}

),

admins as (

    select * from {{ ref('stg_intercom__admins') }}

),

teams as (

    select * from {{ ref('stg_intercom__teams') }}

),

final as (

    select
        -- ids
        tickets.ticket_id,
        tickets.ticket_number,
        tickets.contact_id,
        tickets.assignee_admin_id,
        tickets.assignee_team_id,
        tickets.ticket_type_id,

        -- attributes
        tickets.ticket_title,
        tickets.ticket_category,
        tickets.ticket_type_name,
        tickets.ticket_state,
        tickets.ticket_state_external_label,
        admins.admin_name as assignee_admin_name,
        teams.team_name as assignee_team_name,
        coalesce(tickets.count_ticket_parts, 0) as count_ticket_parts,
        tickets.ticket_attributes,

        -- booleans
        tickets.is_open,
        tickets.is_shared,

        -- timestamps
        tickets.created_at,
        tickets.updated_at,
        tickets.snoozed_until_at

    from tickets
    left join admins
        on tickets.assignee_admin_id = admins.admin_id
    left join teams
        on tickets.assignee_team_id = teams.team_id

)

select * from final
