/* The service form's location picker offers only the chosen association's locations: it
   sends the association to the autocomplete (LocationAdmin.get_search_results filters by
   it), and choosing another association empties the location. The server refuses a
   location of another association whatever the page sends (Service.clean). Runs after
   Django's autocomplete.js has set the pickers up: its document-ready handler was
   registered before "load", and jQuery runs ready handlers in order. */
"use strict";
window.addEventListener("load", function () {
  const $ = window.django && window.django.jQuery;
  const association = document.getElementById("id_association");
  const location = document.getElementById("id_location");
  if (!$ || !$.fn.select2 || !association || !location) {
    return;
  }
  $(function () {
    const $location = $(location);
    if ($location.data("select2")) {
      $location.select2("destroy");
    }
    $location.select2({
      ajax: {
        data: function (params) {
          return {
            term: params.term,
            page: params.page,
            app_label: location.dataset.appLabel,
            model_name: location.dataset.modelName,
            field_name: location.dataset.fieldName,
            association: association.value
          };
        }
      }
    });
    $(association).on("change", function () {
      $location.val(null).trigger("change");
    });
  });
});
