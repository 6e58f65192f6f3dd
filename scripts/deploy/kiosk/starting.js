// Shown by kiosk.sh until the station answers, then replaced by the kiosk page. Chromium loads
// this from a file, so it polls the loopback server with a no-cors request: any answer at all
// means the station is serving.
(() => {
  var params = new URLSearchParams(location.search);
  var target = params.get("url") || "http://127.0.0.1:8080/";
  var started = Date.now();
  var waited = document.getElementById("waited");
  function poll() {
    fetch(`${target}api/health`, { mode: "no-cors", cache: "no-store" }).then(
      () => {
        location.replace(target);
      },
      () => {
        var s = Math.round((Date.now() - started) / 1000);
        if (s >= 60) waited.textContent = `已等待 ${s} 秒。如果一直停在这里，请联系县里的技术人员。`;
        setTimeout(poll, 1000);
      },
    );
  }
  poll();
})();
