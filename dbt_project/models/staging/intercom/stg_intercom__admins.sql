with

source as (

    select * from {{ source('intercom', 'admins') }}

),

renamed as (

    select
        cast(id as varchar) as admin_id,
        name as admin_name,
        email as admin_email,
        job_title,
        coalesce(email like 'operator+%@intercom.io', false) as is_bot,
        coalesce(away_mode_enabled, false) as is_away_mode_enabled,
        coalesce(away_mode_reassign, false) as is_away_mode_reassign,
        coalesce(has_inbox_seat, false) as has_inbox_seat,
        team_ids,
        _airbyte_extracted_at as extracted_at

    from source
    {{ dedupe_newest('id', '_airbyte_extracted_at') }}

)

select * from renamed
