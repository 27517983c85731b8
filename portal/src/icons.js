// The Element Plus icons the portal shows, registered once as <Icon<Name>> (the menu names them by string, so they
// cannot be imported where used). Only these are bundled: a unit test fails on an icon a page uses but that is
// missing here.
import {
  ArrowDown, Back, Bell, Check, CircleCheckFilled, DataAnalysis, Delete, DocumentCopy, Download, Expand, Filter,
  Finished, Flag, Fold, FullScreen, Grid, HomeFilled, InfoFilled, Location, Medal, OfficeBuilding, Paperclip, Plus,
  Postcard, Printer, Refresh, Search, Service, Star, Timer, TrendCharts, Upload, User, Warning,
} from "@element-plus/icons-vue";

export const ICONS = {
  ArrowDown, Back, Bell, Check, CircleCheckFilled, DataAnalysis, Delete, DocumentCopy, Download, Expand, Filter,
  Finished, Flag, Fold, FullScreen, Grid, HomeFilled, InfoFilled, Location, Medal, OfficeBuilding, Paperclip, Plus,
  Postcard, Printer, Refresh, Search, Service, Star, Timer, TrendCharts, Upload, User, Warning,
};

export function registerIcons(app) {
  for (const [name, component] of Object.entries(ICONS)) app.component(`Icon${name}`, component);
}
