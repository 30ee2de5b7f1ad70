// Entry point of the bundle src/saylau/publish/site/static/booth/booth.js (built by booth/build.sh): the crypto as
// window.SaylauBooth, and the page wiring started from data attributes of the booth and board pages.
import * as group from './group.js';
import * as hashing from './hashing.js';
import * as ballot from './ballot.js';
import * as codec from './codec.js';
import { canon } from './canon.js';
import { parseElection, startBooth, startChecker } from './ui.js';

export { ballot, canon, codec, group, hashing, parseElection, startBooth, startChecker };

if (typeof document !== 'undefined') {
  const start = () => {
    const booth = document.getElementById('booth');
    if (booth) startBooth(booth);
    const checker = document.getElementById('checker');
    if (checker) startChecker(checker);
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
}
