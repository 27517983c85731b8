// One file per area of the portal; the keys of each are the same in both languages.
import common from "./common";
import menu from "./menu";
import home from "./home";
import pledges from "./pledges";
import evaluations from "./evaluations";
import windows from "./windows";
import grading from "./grading";
import directory from "./directory";
import dashboards from "./dashboards";
import inbox from "./inbox";
import profile from "./profile";
import publicPages from "./public";
import ops from "./ops";
import forms from "./forms";

export default { common, menu, home, pledges, evaluations, windows, grading, directory, dashboards, inbox, profile, public: publicPages, ops, forms };
