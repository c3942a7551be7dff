-- One row per week of contact creation (weeks start on Monday, UTC): how many contacts
-- reached each funnel stage, the conversion rates and the median time between stages.
with

contact_funnel as (

    select * from {{ ref('contact_funnel') }}

),

cohorts as (

    select
        cast(date_trunc('week', created_at) as date) as cohort_week,
        count(*) as count_created,
        count(engaged_at) as count_engaged,
        count(answered_at) as count_answered,
        count(converted_at) as count_converted,
        count(*) filter (where is_active) as count_active,
        median(days_created_to_engaged) as median_days_created_to_engaged,
        median(days_engaged_to_answered) as median_days_engaged_to_answered,
        median(days_created_to_converted) as median_days_created_to_converted

    from contact_funnel
    group by 1

),

final as (

    select
        cohort_week,
        count_created,
        count_engaged,
        count_answered,
        count_converted,
        count_active,
        count_engaged / count_created as engaged_rate,
        case when count_engaged > 0 then count_answered / count_engaged end as answered_rate,
        count_converted / count_created as converted_rate,
        count_active / count_created as active_rate,
        median_days_created_to_engaged,
        median_days_engaged_to_answered,
        median_days_created_to_converted

    from cohorts

)

select * from final
