/* Translation tabs open on the required language (the script's data-language, French),
   whatever the language of the admin's interface: that is the text every record must
   have. A group whose field has an error in another language keeps that tab open.
   Runs after django-modeltranslation has built the tabs: its document-ready handler was
   registered when its script ran, before "load"; jQuery runs ready handlers in order. */
(function () {
  "use strict";
  var script = document.currentScript;
  var language = script && script.dataset.language;
  window.addEventListener("load", function () {
    var $ = window.django && window.django.jQuery;
    if (!language || !$ || !$.fn.tabs) {
      return;
    }
    $(function () {
      $(".ui-tabs").each(function () {
        var group = $(this);
        var tabs = group.children("ul").children("li");
        if (tabs.filter(".ui-tab-has-errors").length) {
          return;
        }
        tabs.each(function (index) {
          if ($(this).children("a").text().trim() === language) {
            group.tabs("option", "active", index);
          }
        });
      });
    });
  });
})();
