{#- Fails for every row where the column is negative (null passes: "not measured"). -#}
{% test non_negative(model, column_name) %}

select *
from {{ model }}
where {{ column_name }} < 0

{% endtest %}
